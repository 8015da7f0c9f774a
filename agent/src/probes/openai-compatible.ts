/**
 * OpenAI-compatible servers: vLLM, TGI, llama.cpp server, LiteLLM, OpenRouter. Same request and
 * stream as OpenAI (the parser is shared); the key is optional (local servers run without one)
 * and the `gen_ai.provider.name` of the series is set per target (`vllm`, `tgi`, ...).
 */
import { ChatCompletionsParser, chatCompletionsBody } from './openai.ts';
import { endpointUrl } from './provider.ts';
import type { ProviderAdapter, RequestInputs, WireRequest } from './provider.ts';

export const openaiCompatibleAdapter: ProviderAdapter = {
  name: 'openai-compatible',
  genAiProvider: 'openai_compatible',
  defaultUrl: null,
  needsKey: false,
  buildRequest(i: RequestInputs): WireRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (i.key !== null) headers.authorization = `Bearer ${i.key}`;
    return { url: endpointUrl(i.url, '/v1/chat/completions', i.model), headers, body: chatCompletionsBody(i.model, i.prompt, i.maxTokens) };
  },
  createParser: () => new ChatCompletionsParser(),
};
