import { test } from '@japa/runner'
import User from '#models/user'
import Branch from '#models/branch'
import { createWorld, PASSWORD } from '#tests/helpers/world'

test.group('Staff login', () => {
  test('the login page is in Indonesian', async ({ client }) => {
    const response = await client.get('/login')
    response.assertStatus(200)
    response.assertTextIncludes('Masuk ke Loket')
  })

  test('an operator logs in and lands on the counter console', async ({ client, assert }) => {
    const { operator } = await createWorld()
    const response = await client
      .post('/login')
      .form({ email: operator.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app')
    const home = await client.get('/app').loginAs(operator).redirects(0)
    assert.equal(home.header('location'), '/app/counter')
  })

  test('owners land on the admin overview, platform staff on the tenants', async ({
    client,
    assert,
  }) => {
    const { owner } = await createWorld()
    assert.equal(
      (await client.get('/app').loginAs(owner).redirects(0)).header('location'),
      '/admin'
    )
    const platform = await User.create({
      tenantId: null,
      fullName: 'Platform',
      email: `p-${owner.id}@loket.test`,
      password: PASSWORD,
      role: 'super_admin',
      isActive: true,
    })
    assert.equal(
      (await client.get('/app').loginAs(platform).redirects(0)).header('location'),
      '/platform/tenants'
    )
  })

  test('a wrong password is refused with a message and no session', async ({ client, assert }) => {
    const { operator } = await createWorld()
    const response = await client
      .post('/login')
      .form({ email: operator.email, password: 'wrong-password' })
      .withCsrfToken()
      .header('referer', '/login')
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/login')
    response.assertFlashMessage('error', 'Email atau kata sandi salah.')
  })

  test('a disabled account cannot log in', async ({ client }) => {
    const { operator } = await createWorld()
    operator.isActive = false
    await operator.save()
    const response = await client
      .post('/login')
      .form({ email: operator.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('error', 'Akun ini dinonaktifkan. Hubungi admin Anda.')
  })

  test('passwords are stored hashed', async ({ assert }) => {
    const { operator } = await createWorld()
    const row = await User.findOrFail(operator.id)
    assert.notEqual(row.password, PASSWORD)
    assert.match(row.password, /^\$scrypt\$/)
  })

  test('logout ends the session', async ({ client, assert }) => {
    const { operator } = await createWorld()
    const response = await client.post('/logout').withCsrfToken().loginAs(operator).redirects(0)
    assert.equal(response.header('location'), '/login')
  })
})

test.group('Branch switcher', () => {
  test("a user working in several branches switches the current one; another tenant's branch answers 404", async ({
    client,
    assert,
  }) => {
    const { owner, tenant } = await createWorld()
    const other = await createWorld()
    const second = await Branch.create({
      tenantId: tenant.id,
      name: 'Cabang Kedua',
      slug: `kedua-${tenant.id}`,
      timezone: 'Asia/Makassar',
    })
    const switched = await client
      .post('/app/branch')
      .form({ branch_id: second.id })
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    switched.assertStatus(302)
    switched.assertSession('branchId', second.id)
    const page = await client
      .get('/admin/settings')
      .withSession({ branchId: second.id })
      .loginAs(owner)
    page.assertTextIncludes('Cabang Kedua')
    assert.include(page.text(), 'Asia/Makassar')

    const foreign = await client
      .post('/app/branch')
      .form({ branch_id: other.branch.id })
      .withCsrfToken()
      .loginAs(owner)
    foreign.assertStatus(404)
  })

  test('a user limited to one branch only ever works in it', async ({ client }) => {
    const { operator, tenant, branch } = await createWorld()
    const second = await Branch.create({
      tenantId: tenant.id,
      name: 'Cabang Lain',
      slug: `lain2-${tenant.id}`,
      timezone: 'Asia/Jakarta',
    })
    operator.branchId = branch.id
    await operator.save()
    ;(
      await client
        .post('/app/branch')
        .form({ branch_id: second.id })
        .withCsrfToken()
        .loginAs(operator)
    ).assertStatus(404)
    const page = await client
      .get('/app/counter')
      .withSession({ branchId: second.id })
      .loginAs(operator)
    page.assertTextIncludes(branch.name)
  })
})

test.group('Health', () => {
  test('the home page says what Loket is', async ({ client }) => {
    const response = await client.get('/')
    response.assertStatus(200)
    response.assertTextIncludes('Antrean tanpa berdesakan')
  })

  test('livez answers while the process runs', async ({ client }) => {
    const response = await client.get('/livez')
    response.assertStatus(200)
    response.assertTextIncludes('ok')
  })

  test('healthz reports the database and the job runner', async ({ client, assert }) => {
    const response = await client.get('/healthz')
    response.assertStatus(200)
    assert.isTrue(response.body().ok)
    assert.isTrue(response.body().checks.database.ok)
    assert.isTrue(response.body().checks.jobs.ok)
  })
})
