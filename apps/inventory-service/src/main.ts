import { runApp, startServiceProcess } from '@stockade/runtime';

/** The inventory service alone; README: "Running the services apart" and "Running distributed". */
runApp('inventory-service', (config) => startServiceProcess('inventory', config));
