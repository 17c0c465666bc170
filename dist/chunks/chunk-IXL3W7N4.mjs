import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{buildLeaseIndexWith}from"./chunk-RBTDO5IO.mjs";import{globsOverlap,matches}from"./chunk-E5YCJI7R.mjs";var buildLeaseIndex=(leases,nowMs)=>buildLeaseIndexWith(leases,nowMs,{matches,globsOverlap});export{buildLeaseIndex};
