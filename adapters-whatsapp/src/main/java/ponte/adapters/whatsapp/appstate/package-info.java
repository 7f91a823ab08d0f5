/**
 * App-state sync ("syncd", protocol.md §1.17): the keys the primary shares, their expansion into the five mutation
 * keys, the 128-byte LTHash that sums a collection's value MACs, the value, index, snapshot and patch MACs, and the
 * codec that turns a collection's patches and snapshots into verified mutations (client) or encrypts mutations into
 * patches and snapshots (sandbox). Nothing here talks to the network or a store.
 */
package ponte.adapters.whatsapp.appstate;
