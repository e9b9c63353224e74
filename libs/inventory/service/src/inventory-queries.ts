import {
  DEFAULT_LIMITED_THRESHOLD,
  stockStatus,
  type CatalogItem,
  type CatalogList,
  type CatalogQuery,
  type InventoryList,
  type InventoryListQuery,
  type InventoryView,
  type ReplenishmentList,
  type ReplenishmentView,
} from '@stockade/contracts';
import type { EventStore, RecordedEvent } from '@stockade/event-store';
import {
  evolveReplenishment,
  evolveStock,
  initialReplenishment,
  initialStockState,
  isReplenishmentEvent,
  isStockEvent,
  levelsAfter,
  ReplenishmentState,
  StockLevels,
} from '@stockade/inventory-domain';
import { toInventoryView } from './inventory-view';
import { STOCK_STREAM_PREFIX, stockStream } from './streams';

/**
 * Reads for the HTTP API and dashboards. Every stock event carries the levels after it, so
 * one SKU's view is its stream's last event (two cheap calls, whatever the stream's length),
 * and the list is a projection that only reads what was appended since it last looked.
 */
export class InventoryQueries {
  private readonly levels = new Map<string, StockLevels>();
  /** Only SKUs that ever had settings, an alert or a purchase order. */
  private readonly replenishment = new Map<string, ReplenishmentState>();
  private position = 0;

  constructor(
    private readonly store: EventStore,
    private readonly limitedThreshold = DEFAULT_LIMITED_THRESHOLD,
  ) {}

  /** Undefined for a SKU that never received stock. */
  async getStock(sku: string): Promise<InventoryView | undefined> {
    const stream = stockStream(sku);
    const version = await this.store.streamVersion(stream);
    if (version < 0) return undefined;
    const tail = await this.store.readStream(stream, { fromVersion: version });
    const last = tail[tail.length - 1];
    const levels = last && isStockEvent(last) ? last.data : await this.foldWhole(stream);
    return toInventoryView(sku, levels, this.limitedThreshold);
  }

  /** Every known SKU, sorted by SKU. */
  async listStock(): Promise<InventoryView[]> {
    await this.catchUp();
    return [...this.levels]
      .sort(([a], [b]) => compareSkus(a, b))
      .map(([sku, levels]) => toInventoryView(sku, levels, this.limitedThreshold));
  }

  /** One page of `listStock`: SKUs after `after`, only the statuses asked for, at most `limit`. */
  async listPage(query: InventoryListQuery): Promise<InventoryList> {
    const wanted = query.status ? new Set(query.status) : undefined;
    const matching = (await this.listStock()).filter(
      (view) =>
        (query.after === undefined || compareSkus(view.sku, query.after) > 0) && (!wanted || wanted.has(view.status)),
    );
    const items = matching.slice(0, query.limit);
    const last = items[items.length - 1];
    return matching.length > items.length && last ? { items, next: last.sku } : { items };
  }

  /** One page of the catalog: listed SKUs after `after` in SKU order, with their name, price and what is available. */
  async listCatalog(query: CatalogQuery): Promise<CatalogList> {
    const listed = (await this.listStock()).flatMap((view): CatalogItem[] =>
      view.name !== undefined &&
      view.unitPrice !== undefined &&
      (query.after === undefined || compareSkus(view.sku, query.after) > 0)
        ? [
            {
              sku: view.sku,
              name: view.name,
              unitPrice: view.unitPrice,
              available: view.available,
              status: view.status,
            },
          ]
        : [],
    );
    const items = listed.slice(0, query.limit);
    const last = items[items.length - 1];
    return listed.length > items.length && last ? { items, next: last.sku } : { items };
  }

  /** Every SKU with replenishment settings, a raised alert or an open purchase order, in SKU order (the dashboard). */
  async listReplenishment(): Promise<ReplenishmentList> {
    await this.catchUp();
    const items: ReplenishmentView[] = [...this.replenishment]
      .filter(
        ([, state]) => state.settings !== undefined || state.lowStockAlert || state.openPurchaseOrder !== undefined,
      )
      .sort(([a], [b]) => compareSkus(a, b))
      .map(([sku, state]) => {
        const levels = this.levels.get(sku) ?? { onHand: 0, reserved: 0 };
        const available = levels.onHand - levels.reserved;
        return {
          sku,
          available,
          status: stockStatus(available, this.limitedThreshold),
          settings: state.settings ?? null,
          lowStockAlert: state.lowStockAlert,
          openPurchaseOrder: state.openPurchaseOrder ?? null,
        };
      });
    return { items };
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page: RecordedEvent[] = await this.store.readAll({
        after: this.position,
        streamPrefixes: [STOCK_STREAM_PREFIX],
      });
      if (page.length === 0) return;
      for (const event of page) {
        if (isStockEvent(event))
          this.levels.set(event.data.sku, levelsAfter(event.data.onHand, event.data.reserved, event.data.listing));
        const { sku } = event.data as { sku?: string };
        const known = sku === undefined ? undefined : this.replenishment.get(sku);
        if (sku !== undefined && isStockEvent(event) && (known !== undefined || isReplenishmentEvent(event))) {
          this.replenishment.set(sku, evolveReplenishment(known ?? initialReplenishment(), event));
        }
        this.position = event.position;
      }
    }
  }

  /** Only when the last event is of a type this version does not know. */
  private async foldWhole(stream: string): Promise<StockLevels> {
    let state = initialStockState();
    for (const event of await this.store.readStream(stream)) if (isStockEvent(event)) state = evolveStock(state, event);
    return state;
  }
}

/** Code-unit order, the same on every machine and in every locale, so a page cursor means the same everywhere. */
function compareSkus(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
