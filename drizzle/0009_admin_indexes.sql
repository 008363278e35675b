CREATE INDEX `conversations_updated_idx` ON `conversations` (`updated_at`);--> statement-breakpoint
CREATE INDEX `rounds_created_idx` ON `rounds` (`created_at`);--> statement-breakpoint
CREATE INDEX `rounds_runtimeid_idx` ON `rounds` (`runtimeid`);