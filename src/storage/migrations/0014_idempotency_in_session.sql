-- Idempotency in the handler's transaction (issue 6 §5). The answer of a request with an
-- Idempotency-Key is now stored by the transaction of the request's own writes, as a 'done' row;
-- no 'pending' claim is written any more. Claims left pending by the previous version stand for
-- requests that died between their commit and their answer: they are dropped (such a key is free
-- again, as it would have been after 60 seconds).
--
-- Answers holding a secret are never stored any more (http::Route::response_holds_secret): the
-- login answers stored so far held bearer tokens in clear and are deleted. The router matches
-- percent-decoded segments, so a stored path with an escape may have named the login route too.
DELETE FROM idempotency_keys
WHERE state = 'pending' OR path = '/api/v1/sessions' OR path LIKE '%!%%' ESCAPE '!';
