/** The code version written into every record (kept equal to package.json's by a test). */
export const CODE_VERSION = '0.1.0';
export const CODE_NAME = 'dissmodel-workbench';
