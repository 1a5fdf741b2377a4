// @mmm/core has no numeric kernels to time.
export {};
