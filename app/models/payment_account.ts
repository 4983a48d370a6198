import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import encryption from '@adonisjs/core/services/encryption'
import { boolean, dateTime } from '#models/columns'
import type { PaymentProvider } from '#enums/booking'

/** A tenant's account at a payment gateway; its keys are encrypted with APP_KEY and never serialized. */
export default class PaymentAccount extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare provider: PaymentProvider

  @boolean()
  declare isActive: boolean

  @column({
    serializeAs: null,
    prepare: (value: Record<string, unknown>) => encryption.encrypt(JSON.stringify(value)),
    consume: (value: string) => {
      const plain = encryption.decrypt<string>(value)
      return plain ? JSON.parse(plain) : {}
    },
  })
  declare settings: Record<string, any>

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
