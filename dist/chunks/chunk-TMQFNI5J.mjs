import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
var VERSION="0.1.0";export{VERSION};
