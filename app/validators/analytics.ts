import vine from '@vinejs/vine'

export const reportValidator = vine.compile(
  vine.object({
    date: vine
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
)
