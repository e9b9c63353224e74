import { runApp, startServiceApp } from '@stockade/runtime';
import { CartModule } from '@stockade/cart-nest';
import { deploymentPaymentSimulator } from '@stockade/ordering-service';

/**
 * The cart service alone; README: "Running the services apart" and "Running distributed". Its
 * payment tokens are exchanged by the same gateway the order service authorises with.
 */
runApp('cart-service', (config) =>
  startServiceApp(config, 'cart', [
    CartModule.register(
      { kind: 'feed', shared: Boolean(config.REDIS_URL) },
      { payments: deploymentPaymentSimulator({ slowTokens: config.STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS }) },
    ),
  ]),
);
