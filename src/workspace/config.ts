// The configuration loader behind the door, loaded on first use (YAML parser and schema).
import type { InspectedConfig, LoadedConfig } from '../config/load.js';
import type { ConfigText } from '../config/locate.js';

/** What the loader (config/load.ts, the one source of truth) says of a located file. */
export async function parseConfig(found: ConfigText): Promise<LoadedConfig> {
  return (await import('../config/load.js')).loadConfigText(found);
}

/** The configuration as far as it is valid, with every problem (config/load.ts, inspectConfigText). */
export async function inspectConfig(found: ConfigText): Promise<InspectedConfig> {
  return (await import('../config/load.js')).inspectConfigText(found);
}
