import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
function resolveIssues(source,ids){let out=new Map;for(let id of ids){let issue=source.get(id);out.set(issue.id,issue)}return[...out.values()]}export{resolveIssues};
