import { runApp, startServiceProcess } from '@stockade/runtime';

/** The ordering service alone; README: "Running the services apart" and "Running distributed". */
runApp('order-service', (config) => startServiceProcess('ordering', config));
