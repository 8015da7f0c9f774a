import { describe, expect, it } from 'vitest';
import { endpointUrl } from './provider.ts';

describe('endpointUrl', () => {
  const chat = '/v1/chat/completions';
  it('takes a bare origin, an SDK-style base URL, or the endpoint itself', () => {
    expect(endpointUrl('http://10.0.0.5:8000', chat, 'm')).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(endpointUrl('http://10.0.0.5:8000/v1', chat, 'm')).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(endpointUrl('http://10.0.0.5:8000/v1/', chat, 'm')).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(endpointUrl('https://gw.example/openai/v1', chat, 'm')).toBe('https://gw.example/openai/v1/chat/completions');
    expect(endpointUrl('http://10.0.0.5:8000/v1/chat/completions', chat, 'm')).toBe('http://10.0.0.5:8000/v1/chat/completions');
    expect(endpointUrl('http://h:8080/custom/path', chat, 'm')).toBe('http://h:8080/custom/path');
    expect(endpointUrl('http://127.0.0.1:11434/api', '/api/chat', 'm')).toBe('http://127.0.0.1:11434/api/chat');
  });

  it('puts the model in Gemini\'s path and keeps its query', () => {
    const path = '/v1beta/models/{model}:streamGenerateContent?alt=sse';
    expect(endpointUrl('https://g.example', path, 'gemini-2.0-flash')).toBe('https://g.example/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    expect(endpointUrl('https://g.example/v1beta', path, 'gemini-2.0-flash')).toBe('https://g.example/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
  });
});
