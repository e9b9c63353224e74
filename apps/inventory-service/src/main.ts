import { runApp, startServiceApp } from '@stockade/runtime';
import { InventoryModule } from './inventory.module';
import { SupplierSimulatorModule } from './supplier-simulator.module';

/** The inventory service alone; README: "Running the services apart" and "Running distributed". */
runApp('inventory-service', (config) =>
  startServiceApp(config, 'inventory', [InventoryModule.register(), ...(config.STOCKADE_SUPPLIER_SIMULATOR ? [SupplierSimulatorModule.register()] : [])]),
);
