import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { dateTime } from '#models/columns'

/** The first answer to a REST API request sent with an Idempotency-Key, replayed on repeats. */
export default class ApiIdempotency extends BaseModel {
  static table = 'api_idempotency'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare apiKeyId: number

  /** The client's Idempotency-Key header. */
  @column()
  declare idempotencyKey: string

  /** SHA-256 of the request (method, path, body): a repeat must be the same request. */
  @column()
  declare fingerprint: string

  /** The answer's HTTP status; 0 while the first request is still being answered. */
  @column()
  declare status: number

  /** The answer's JSON body. */
  @column()
  declare body: string

  @dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
