import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{buildLeaseIndexWith}from"./chunk-NV53MDL6.mjs";import{globsOverlap,matches}from"./chunk-YSSYL3TW.mjs";var buildLeaseIndex=(leases,nowMs)=>buildLeaseIndexWith(leases,nowMs,{matches,globsOverlap});export{buildLeaseIndex};
