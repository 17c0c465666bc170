import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
var escapeGlob=path=>path.replace(/[*?[\]{}()!\\]/g,"\\$&");export{escapeGlob};
