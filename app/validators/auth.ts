import vine from '@vinejs/vine'

export const loginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().toLowerCase().email().maxLength(254),
    password: vine.string().minLength(1).maxLength(200),
  })
)

export const switchBranchValidator = vine.compile(
  vine.object({
    branch_id: vine.number().positive().withoutDecimals(),
  })
)
