/**
 * The config the providers page tells a new user to paste is one the agent takes as it is: every
 * target parses, with the defaults the docs promise, and the SDK-style vLLM base URL resolves to
 * its chat endpoint.
 */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../protocol/src/config-text.ts';
import { loadAgentConfig } from '../agent/src/config/agent-config.ts';
import { PROBES_SNIPPET } from '../web/src/providers/provider-table-snippet.ts';
import { endpointUrl } from '../agent/src/probes/provider.ts';

describe('the providers page snippet', () => {
  it('is an agent config the agent accepts', () => {
    const config = loadAgentConfig(parseConfigText(PROBES_SNIPPET, 'agent.yaml'), 'agent.yaml', {}, {});
    expect(config.probes.targets.map((t) => t.provider)).toEqual(['openai', 'anthropic', 'gemini', 'ollama', 'openai-compatible']);
    const vllm = config.probes.targets[4];
    expect(vllm?.genAiProvider).toBe('vllm');
    expect(endpointUrl(vllm?.url as string, '/v1/chat/completions', vllm?.model as string)).toBe('http://127.0.0.1:8000/v1/chat/completions');
  });
});
