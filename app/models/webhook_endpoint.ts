import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import encryption from '@adonisjs/core/services/encryption'
import { boolean, dateTime } from '#models/columns'
import type { WebhookEvent } from '#enums/messaging'
import { TenantOwned } from '#models/mixins/tenant_owned'

/** Another system's URL that gets the tenant's chosen events, signed with a secret of its own. */
export default class WebhookEndpoint extends compose(BaseModel, TenantOwned) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare url: string

  @column()
  declare description: string | null

  /** Encrypted with APP_KEY at rest; shown to the admin once, when the endpoint is created. */
  @column({
    serializeAs: null,
    prepare: (value: string) => encryption.encrypt(value),
    consume: (value: string) => encryption.decrypt<string>(value) ?? '',
  })
  declare secret: string

  @column({
    prepare: (value: WebhookEvent[]) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value),
  })
  declare events: WebhookEvent[]

  @boolean()
  declare isActive: boolean

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
