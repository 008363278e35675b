CREATE INDEX `callbacks_created_idx` ON `callbacks` (`created_at`);--> statement-breakpoint
CREATE INDEX `peer_sessions_updated_idx` ON `peer_sessions` (`updated_at`);--> statement-breakpoint
CREATE INDEX `workflow_sessions_expires_idx` ON `workflow_sessions` (`expires_at`);