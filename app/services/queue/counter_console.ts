import { inject } from '@adonisjs/core'
import type Branch from '#models/branch'
import Service from '#models/service'
import Counter from '#models/counter'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import QueueEngine from '#services/queue/queue_engine'
import QueueBoard from '#services/queue/queue_board'
import CounterDesk from '#services/queue/counter_desk'
import branchDirectory from '#services/platform/branch_directory'
import liveVersion from '#support/live_version'

/** The counter console's state: the counter, what it serves, its queue and the branch's services and counters. */
@inject()
export default class CounterConsole {
  constructor(
    protected queue: QueueEngine,
    protected queueBoard: QueueBoard,
    protected counterDesk: CounterDesk
  ) {}

  /** The counter `user` sits at in `branch`; actions at a counter need one. */
  async seatOf(user: User, branch: Pick<Branch, 'id'>) {
    const counter = await this.counterDesk.current(user, branch.id)
    if (!counter) throw new DomainError('no_counter_selected')
    return counter
  }

  /** Everything the console fragment shows. */
  async state(branch: Branch, counter: Counter) {
    const ranks = await this.queue.serviceRanks(counter)
    const serviceIds = [...ranks.keys()]
    const branchServices = await Service.ofBranch(branch.id).where('is_active', true)
    const otherCounters = await Counter.ofBranch(branch.id)
      .where('is_active', true)
      .whereNot('id', counter.id)
    const board = await this.queueBoard.console(branch, counter, serviceIds)
    const entry = await branchDirectory.byId(branch.id)
    return {
      section: 'counter',
      counter,
      services: serviceIds
        .map((id) => branchServices.find((service) => service.id === id))
        .filter(Boolean),
      branchServices,
      otherCounters,
      servicesById: new Map(branchServices.map((service) => [service.id, service])),
      ...board,
      weights: entry!.tenant.queue.priorityWeights,
      version: await liveVersion.get(branch.id),
    }
  }
}
