/** The agent's version, sent in hello and shown on the status page. */
export const AGENT_VERSION = '0.1.0';
