import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
var escapeGlob=path=>path.replace(/[*?[\]{}()!\\]/g,"\\$&");export{escapeGlob};
