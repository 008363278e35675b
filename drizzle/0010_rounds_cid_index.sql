DROP INDEX `rounds_cid_created_idx`;--> statement-breakpoint
CREATE INDEX `rounds_cid_idx` ON `rounds` (`cid`);