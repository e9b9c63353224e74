import { runApp, salesChannelsOf, startServiceApp } from '@stockade/runtime';
import { OrderingModule } from '@stockade/ordering-nest';

/** The order service alone; README: "Running the services apart" and "Running distributed". */
runApp('order-service', (config) =>
  startServiceApp(config, 'ordering', [
    OrderingModule.register({
      outcomesGroupId: `order-outcomes-${config.STOCKADE_INSTANCE_ID}`,
      channels: salesChannelsOf(config),
    }),
  ]),
);
