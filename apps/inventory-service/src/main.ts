import { runApp, startServiceApp, supplierSimulatorOn } from '@stockade/runtime';
import { InventoryModule, SupplierSimulatorModule } from '@stockade/inventory-nest';

/** The inventory service alone; README: "Running the services apart" and "Running distributed". No simulated supplier unless STOCKADE_SUPPLIER_SIMULATOR=true. */
runApp('inventory-service', (config) =>
  startServiceApp(config, 'inventory', [
    InventoryModule.register(),
    ...(supplierSimulatorOn(config, 'inventory-service') ? [SupplierSimulatorModule.register()] : []),
  ]),
);
