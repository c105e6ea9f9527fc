import { escapeHtml, markup, safeHttpUrl, SafeHtml } from '../../local/order-center/html';

describe('escapeHtml', () => {
  it.each<[string | number, string]>([
    ['plain 文本', 'plain 文本'],
    ['<b>', '&lt;b&gt;'],
    [`a "quoted" 'word'`, 'a &quot;quoted&quot; &#39;word&#39;'],
    ['&amp;', '&amp;amp;'],
    [42, '42'],
  ])('%j becomes %j', (input, expected) => {
    // Act
    const text = escapeHtml(input);
    // Assess
    expect(text).toBe(expected);
  });
});

describe('markup', () => {
  it('escapes strings and numbers, joins lists, drops empty values, keeps SafeHtml as it is', () => {
    // Prepare
    const inner = markup`<i>${'<x>'}</i>`;
    // Act
    const out = markup`<p title="${`"q"`}">${['a<', 1, null, undefined, false, inner]}${new SafeHtml('<br>')}</p>`;
    // Assess
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.text).toBe('<p title="&quot;q&quot;">a&lt;1<i>&lt;x&gt;</i><br></p>');
    expect(String(out)).toBe(out.text);
  });
});

describe('safeHttpUrl', () => {
  it.each<[unknown, string | undefined]>([
    ['https://img.example/a.png', 'https://img.example/a.png'],
    ['  http://img.example/a b.png ', 'http://img.example/a%20b.png'],
    ['HTTPS://IMG.EXAMPLE/A.PNG', 'https://img.example/A.PNG'],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['data:image/png;base64,AAAA', undefined],
    ['baiduboxapp://swan/abc', undefined],
    ['/relative.png', undefined],
    ['//img.example/a.png', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
  ])('%j gives %j', (raw, expected) => {
    // Act
    const url = safeHttpUrl(raw);
    // Assess
    expect(url).toBe(expected);
  });
});
