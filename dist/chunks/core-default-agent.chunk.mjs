import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
var DEFAULT_AGENT_ID="agent:claude";export{DEFAULT_AGENT_ID};
