import vine from '@vinejs/vine'

/** An area's name, unique in its branch (the edited area's own id in meta). */
export const areaValidator = vine.withMetaData<{ branchId: number; id?: number }>().compile(
  vine.object({
    name: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(60)
      .unique(async (db, value, field) => {
        const row = await db
          .from('areas')
          .where('branch_id', field.meta.branchId)
          .where('name', value)
          .whereNot('id', field.meta.id ?? 0)
          .first()
        return !row
      }),
  })
)
