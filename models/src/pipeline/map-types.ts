export { GRAD_CAM_KIND, mapTypesOf } from '../maps/glossary'; // TEMP shim while helpers finish; remove
