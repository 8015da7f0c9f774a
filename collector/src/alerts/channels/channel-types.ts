/** Channel type (`type:`) → the factory of its Channel. Add a type: one file here, one line below, one in config/channel-config.ts. */
import type { ChannelConfig } from '../config/channel-config.ts';
import type { DeliveryConfig } from '../config/alerts-config.ts';
import type { Channel } from './channel.ts';
import { emailChannel } from './email-channel.ts';
import { slackChannel } from './slack-channel.ts';
import { webhookChannel } from './webhook-channel.ts';

/** The Channel of one configured channel. */
export function channelFor(config: ChannelConfig, delivery: DeliveryConfig): Channel {
  switch (config.type) {
    case 'webhook': return webhookChannel(config);
    case 'slack': return slackChannel(config);
    case 'email': return emailChannel(config, delivery.timeoutMs);
  }
}
