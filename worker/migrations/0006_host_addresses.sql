-- The IP addresses a host is known by, so the extension can recognise it on an admin console
-- (vSphere, Proxmox, a cloud console, Grafana) that shows addresses rather than names.
CREATE TABLE host_addresses (
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  address TEXT NOT NULL,                         -- canonical text: dotted IPv4, lower-case compressed IPv6
  PRIMARY KEY (host_id, address)
) WITHOUT ROWID;
CREATE INDEX host_addresses_by_address ON host_addresses (address, host_id);
