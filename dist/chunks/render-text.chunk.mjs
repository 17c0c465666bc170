import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
var LINE_BREAKS=/\r\n|[\n\r\v\f\u0085\u2028\u2029]/g,CONTROLS=/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,INVISIBLE=/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,hex=c=>`\\u{${c.codePointAt(0).toString(16)}}`;function oneLine(s){return s.replace(LINE_BREAKS," ").replace(/\t/g," ").replace(CONTROLS,"").replace(INVISIBLE,"").replace(/\s+/g," ").trim()}function visibleText(s){return s.replace(/\r\n?/g,`
`).replace(/[\u0085\u2028\u2029\v\f]/g,`
`).replace(CONTROLS,hex).replace(INVISIBLE,hex)}function longestRun(s,ch){let best=0,cur=0;for(let c of s)c===ch?best=Math.max(best,++cur):cur=0;return best}function fence(text,info="text"){let body=visibleText(text),n=Math.max(3,longestRun(body,"`")+1),f="`".repeat(n);return`${f}${info}
${body.endsWith(`
`)?body:`${body}
`}${f}`}function slug(s,max=40){return oneLine(s).normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,max).replace(/-+$/,"")||"issue"}function truncate(s,max){let cps=[...s];return cps.length<=max?s:`${cps.slice(0,Math.max(0,max-1)).join("").trimEnd()}\u2026`}export{oneLine,fence,slug,truncate};
