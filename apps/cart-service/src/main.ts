import { runApp, startServiceApp } from '@stockade/runtime';
import { CartModule } from '@stockade/cart-nest';

/** The cart service alone; README: "Running the services apart" and "Running distributed". */
runApp('cart-service', (config) => startServiceApp(config, 'cart', [CartModule.register({ kind: 'feed', shared: Boolean(config.REDIS_URL) })]));
