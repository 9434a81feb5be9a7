/**
 * TypeDoc names a Markdown heading in a page's "On This Page" list, and makes its anchor,
 * from the heading's text tokens only: a README heading in code (`#### \`node.ready()\``,
 * one per call in our READMEs) became an empty entry with an empty anchor. This gives each
 * code span in a heading its text as a child token, which TypeDoc reads for the name; the
 * span still renders as code (markdown-it renders a code span from its own content).
 */

// The little of markdown-it's API used here (TypeDoc hands the parser over untyped).
interface Token {
  type: string
  content: string
  children: Token[] | null
}
interface CoreState {
  tokens: Token[]
  Token: new (type: string, tag: string, nesting: number) => Token
}
interface MarkdownIt {
  core: { ruler: { push: (name: string, rule: (state: CoreState) => void) => void } }
}

/** A `markdownItLoader` for TypeDoc: names headings that are code by their code. */
export function nameCodeHeadings (parser: MarkdownIt): void {
  parser.core.ruler.push('dht-code-heading-names', (state) => {
    const tokens = state.tokens
    for (let i = 1; i < tokens.length; i++) {
      if (tokens[i - 1]?.type !== 'heading_open') continue
      for (const child of tokens[i]?.children ?? []) {
        if (child.type !== 'code_inline' || child.children !== null) continue
        const text = new state.Token('text', '', 0)
        text.content = child.content
        child.children = [text]
      }
    }
  })
}
