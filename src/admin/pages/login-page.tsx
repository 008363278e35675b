import { LoginLayout } from '../components/layout.js';

export function LoginPage(props: { next: string; failed: boolean }) {
  return (
    <LoginLayout>
      <main class="login">
        <div class="panel">
          <h1>Bridge admin</h1>
          <p>Log in with the bridge's ADMIN_TOKEN.</p>
          <form method="post" action="/admin/login">
            <input type="hidden" name="next" value={props.next} />
            <label for="token">Admin token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
            {props.failed && <div class="error">That is not the admin token.</div>}
            <button type="submit" class="btn primary">
              Log in
            </button>
          </form>
        </div>
      </main>
    </LoginLayout>
  );
}
