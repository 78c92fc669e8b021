import type { HandleClientError } from '@sveltejs/kit';

// An unknown address is not a fault of the app (the layout says so to the user): no console
// error for it. Anything else is logged, so it is seen and fixed.
export const handleError: HandleClientError = ({ error, status, message }) => {
	if (status !== 404) console.error(error);
	return { message };
};
