import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, safeImageUrl, safeLinkUrl } from '@/components/chat/markdown/markdown';

describe('safeLinkUrl', () => {
  it.each([
    'https://example.com/a?b=c#d',
    'http://example.com',
    'HTTPS://EXAMPLE.COM',
    'mailto:someone@example.com',
    '/chat/abc',
    'relative/path',
    '#section',
    '?q=1',
  ])('keeps %s', (url) => {
    expect(safeLinkUrl(url)).toBe(url);
  });

  it('trims the URL it keeps', () => {
    expect(safeLinkUrl('  https://example.com  ')).toBe('https://example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,<script>alert(1)</script>',
    'blob:https://example.com/uuid',
    'file:///etc/passwd',
    'ftp://example.com/file',
    'tel:+123',
    'chrome://settings',
    'http://[bad',
    '',
    '   ',
  ])('drops %j', (url) => {
    expect(safeLinkUrl(url)).toBeNull();
  });
});

describe('safeImageUrl', () => {
  it('drops every image while images are off (the default)', () => {
    for (const url of ['https://example.com/a.png', 'http://example.com/a.png', '/favicon.ico', 'data:image/png;base64,AAAA']) {
      expect(safeImageUrl(url, false)).toBeNull();
    }
  });

  it.each(['https://example.com/a.png', 'http://127.0.0.1:8080/b.png', 'HTTPS://EXAMPLE.COM/C.PNG'])(
    'keeps the http(s) image %s when images are allowed',
    (url) => {
      expect(safeImageUrl(url, true)).toBe(url);
    },
  );

  it.each([
    'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+',
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    'blob:https://example.com/uuid',
    'file:///etc/passwd',
    '/api/chats',
    '//evil.example/a.png',
    'relative.png',
    '',
  ])('drops %j even when images are allowed', (url) => {
    expect(safeImageUrl(url, true)).toBeNull();
  });
});

describe('Markdown', () => {
  const render = (text: string, allowImages = false) =>
    renderToStaticMarkup(createElement(Markdown, { text, streaming: false, allowImages }));

  it('renders no raw HTML: no script, handler, frame, form or raw image', () => {
    const html = render(
      [
        '<script>window.__pwned = 1</script>',
        '',
        '<img src=x onerror="window.__pwned = 1">',
        '',
        '<iframe src="https://evil.example/"></iframe>',
        '',
        '<form action="https://evil.example/"><button>go</button></form>',
        '',
        '<div onclick="window.__pwned = 1">text</div>',
        '',
        'plain **text**',
      ].join('\n'),
    );
    expect(html).toContain('data-streamdown="strong">text</span>');
    // At most shown as text (escaped), never as elements or attributes.
    for (const bad of ['<script', '<img', '<iframe', '<form', '<button']) expect(html).not.toContain(bad);
    expect(html).not.toMatch(/<[a-z][^>]*\s(on[a-z]+|src|action)=/i);
  });

  it('drops unsafe links but keeps their text; safe links open in a new tab without opener or referrer', () => {
    const html = render('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://example.com/) <javascript:alert(2)>');
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).not.toMatch(/<a [^>]*>(a|b|javascript:alert\(2\))<\/a>/);
    expect(html).toMatch(/>a( \[blocked\])?</);
    expect(html).toMatch(/>b( \[blocked\])?</);
    expect(html).toContain('href="https://example.com/"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('shows an image placeholder while images are off, and the http(s) image when they are allowed', () => {
    const markdown = '![a cat](https://images.example/cat.png)';
    const off = render(markdown);
    expect(off).not.toContain('<img');
    expect(off).not.toContain('images.example');
    expect(off).toContain('[image: a cat]');
    const on = render(markdown, true);
    expect(on).toContain('<img');
    expect(on).toContain('src="https://images.example/cat.png"');
    expect(on).toMatch(/referrerpolicy="no-referrer"/i);
  });
});
