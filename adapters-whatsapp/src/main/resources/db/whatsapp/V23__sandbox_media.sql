-- The sandbox media host's index (issue 11): which file in the host's folder a direct path serves, who uploaded it
-- and whether it was expired on demand (its bytes deleted; downloads answer 410). With the files under the data
-- folder, a restarted sandbox still serves what was uploaded before it stopped, as WhatsApp's hosts keep a file
-- across their own restarts.
create table whatsapp.sandbox_media (
    direct_path  text primary key,   -- /v/t62.<kind>/<token>
    file         text not null,      -- the file's name inside the media folder
    uploader     text not null,      -- a user JID without device, or a phone's
    kind         text not null,      -- the upload kind: image, video, audio, document, sticker, ...
    expired      boolean not null default false
);

create index sandbox_media_uploader on whatsapp.sandbox_media (uploader) where not expired;
