import { runApp, startServiceProcess } from '@stockade/runtime';

/** The cart service alone; README: "Running the services apart" and "Running distributed". */
runApp('cart-service', (config) => startServiceProcess('cart', config));
