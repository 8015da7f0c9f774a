/**
 * What the providers page shows a user with no probes yet: the `probes:` section to paste into
 * agent.yaml and the commands that make it take effect. Pure text; tests/providers-snippet.test.ts
 * checks that the agent accepts it as it is.
 */

/** The probes section a new user pastes into agent.yaml (docs/probes.md has every option). */
export const PROBES_SNIPPET = `probes:
  targets:
    - { provider: openai, model: gpt-4o-mini }
    - { provider: anthropic, model: claude-3-5-haiku-latest }
    - { provider: gemini, model: gemini-2.0-flash }
    - { provider: ollama, model: llama3.2:1b }                  # http://127.0.0.1:11434
    - { provider: openai-compatible, url: http://127.0.0.1:8000/v1, model: meta-llama/Llama-3.1-8B-Instruct, genAiProvider: vllm }
`;

/** How the file takes effect with `sigmascope start`. */
export const START_SNIPPET = `printf '%s' "$OPENAI_API_KEY" | sigmascope keys set openai --data .sigmascope/agent
sigmascope start --config agent.yaml`;

