import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{openWorkspace}from"./workspace-open.chunk.mjs";function workspaceOf(ctx,opts={}){return openWorkspace(ctx.cwd,{env:ctx.env,progress:ctx.progress,...opts})}export{workspaceOf};
