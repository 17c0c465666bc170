import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
var NEEDS_LIVE=new Set(["pre-tool-use","session-start","subagent-start","subagent-stop"]),HANDOFF_KEY="__jitpHookInput",BUILD_KEY="__jitpHookBuild",BUILD_ID="dfa55b50903a8c23";export{NEEDS_LIVE,HANDOFF_KEY,BUILD_KEY,BUILD_ID};
