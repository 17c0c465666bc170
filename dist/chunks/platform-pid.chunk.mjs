import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
function pidAlive(pid){if(typeof pid!="number"||!Number.isInteger(pid)||pid<=0)return!1;try{return process.kill(pid,0),!0}catch(e){return e.code==="EPERM"}}export{pidAlive};
