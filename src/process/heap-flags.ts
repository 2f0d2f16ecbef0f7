import { setFlagsFromString } from 'node:v8';

// V8's allocation-site pretenuring moves objects of an allocation site to the old generation once
// most of them outlive a young-generation collection. Under sustained load, request bodies wait
// for the event loop while earlier requests are transformed, so Node's body-reading objects meet
// that test; from then on they go to the old generation, where they pin each request's buffers
// until a full collection, and the resident set doubles (measured with npm run bench: one run in
// three peaked near 240 MiB instead of 135). Nothing this service allocates per request lives
// longer than the request, so pretenuring never pays here. Set before anything is served.
setFlagsFromString('--no-allocation-site-pretenuring');
