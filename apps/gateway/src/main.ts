import { runApp } from '@stockade/runtime';
import { startGateway } from '@stockade/gateway';

/** The public HTTP API in front of the distributed services (INVENTORY_/ORDER_/CART_SERVICE_URL). */
runApp('gateway', startGateway);
