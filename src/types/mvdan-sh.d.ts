// mvdan-sh (mvdan/sh compiled by GopherJS) ships no types; bash-writes.ts walks its AST loosely.
declare module 'mvdan-sh' {
  const sh: { syntax: any };
  export default sh;
}
