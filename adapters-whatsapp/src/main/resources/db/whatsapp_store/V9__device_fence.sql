-- Fencing of the device store by the instance's lease (issue 14): the highest lease epoch that wrote a device's
-- state. A write carries the epoch of the lease its node holds and raises this row to it; a write whose epoch is
-- lower (its node lost the lease to one that has written since) is refused and rolled back. The row is locked by
-- the write's transaction, so an old owner's write and a new owner's are ordered. No foreign key: the row is taken
-- before the device's first row is inserted, and outlives a logout so a stale node cannot write after it.
create table whatsapp_store.device_fence (
    device_id  uuid   primary key,
    epoch      bigint not null
);
