import { StockadeError } from '@stockade/kernel';

/** The batch lost the race against another writer too often; the caller may retry. */
export class InventoryWriteContention extends StockadeError {
  constructor(attempts: number, cause: unknown) {
    super('CONFLICT', `inventory streams kept changing under this writer (${attempts} attempts); retry the command`, {
      retriable: true,
      cause,
    });
  }
}
