-- The NCT salt our primary hands over in its history (HistorySync field 19, protocol.md §1.18): the input WhatsApp's
-- cstoken is derived from. Kept with the account it belongs to; replaced by the newest history that carries one.
alter table whatsapp_store.device_account add column nct_salt bytea;
