/**
 * Injection tokens for what every service module may ask for. InfrastructureModule provides them
 * globally; a test overrides any of them with `Test.createTestingModule(...).overrideProvider`.
 */
export const STOCKADE_CONFIG = Symbol('StockadeConfig');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');
export const MESSAGE_BUS = Symbol('MessageBus');
/** The MessageBusClient (a Nest ClientProxy) over MESSAGE_BUS: how application code publishes. */
export const BUS_CLIENT = Symbol('MessageBusClient');
/** The MessageBusServer the app's `@EventPattern` handlers run on. */
export const BUS_SERVER = Symbol('MessageBusServer');
export const STOCKADE_METRICS = Symbol('StockadeMetrics');
/** How many units of each SKU are available, for cart badges: from inventory itself or from the stock-level feed. */
export const STOCK_AVAILABILITY = Symbol('StockAvailability');
/** The OpenTelemetry tracer when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT), else null. */
export const TRACER = Symbol('Tracer');
/** PartitionAssignments: which partitions each consumer group of this app holds, for modules that follow them. */
export const PARTITION_ASSIGNMENTS = Symbol('PartitionAssignments');
